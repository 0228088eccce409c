// A small sample workspace folder for the tests and `npm start`.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SAMPLE_TEXT = 'Hello from KMS Explorer!\nSelect this line and run "KMS: Encrypt Selection".\n';

/** Creates dir with sample.txt and a README (existing files are left alone); returns dir. */
export function createSampleWorkspace(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const files = {
    'sample.txt': SAMPLE_TEXT,
    'README.md':
      '# KMS Explorer sample workspace\n\nOpen `sample.txt`, select text, and run **KMS: Encrypt Selection** from the command palette (F1).\nRun **KMS: Decrypt Selection** on the result to get the text back.\n',
  };
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) fs.writeFileSync(file, text);
  }
  return dir;
}
