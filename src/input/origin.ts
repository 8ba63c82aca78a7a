/** Where something was read: a file (or `<stdin>`) and a 1-based line. */
export interface Origin {
  file: string;
  line: number;
  /** Index of the element inside a JSON array document, when the record is one. */
  element?: number;
}
