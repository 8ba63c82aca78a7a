import { auditRequest, loadConfig } from 'headroom';

// The configuration the CLI would use here: config file, HEADROOM_* variables.
const { config } = loadConfig({ cwd: process.cwd(), env: process.env });

const report = await auditRequest(
  {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'You are a billing assistant.' },
      { role: 'user', content: 'Which invoices are open?' },
    ],
  },
  { config },
);
console.log(report.format, report.tokens, 'tokens,', report.waste.total, 'of them waste');
