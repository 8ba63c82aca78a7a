#!/usr/bin/env node
// Runs the compiled CLI; everything else lives in src/.
import { main } from '../dist/cli/main.js';

// Piping into `head` closes stdout early; that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv);
