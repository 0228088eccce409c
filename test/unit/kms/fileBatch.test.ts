import * as assert from 'node:assert/strict';
import { decryptedPathFor, encryptedPathFor } from '../../../src/kms/fileCrypto';
import { nameFiles, planFileJobs, progressOf } from '../../../src/kms/fileBatch';

describe('kms/fileBatch: several files at once', () => {
  const f = (p: string, size = 10) => ({ path: p, size });

  it('one job per distinct file, in the order selected, each with its output', () => {
    const jobs = planFileJobs([f('/w/a.txt', 5), f('/w/b.bin', 7), f('/w/a.txt', 5)], encryptedPathFor);
    assert.deepEqual(jobs, [
      { src: '/w/a.txt', dest: '/w/a.txt.encrypted', size: 5 },
      { src: '/w/b.bin', dest: '/w/b.bin.encrypted', size: 7 },
    ]);
  });

  it('refuses a selection where an output is one of the selected files', () => {
    const refused = planFileJobs([f('/w/a.txt'), f('/w/a.txt.encrypted')], encryptedPathFor);
    assert.equal(
      refused,
      'a.txt.encrypted is selected, and it is also where a.txt would be written; select one of them.',
    );
    // Decrypting a.txt.encrypted writes a.txt: the same conflict the other way round.
    assert.match(
      planFileJobs([f('/w/a.txt.encrypted'), f('/w/a.txt')], decryptedPathFor) as string,
      /^a\.txt is selected/,
    );
  });

  it('refuses two files that would write the same output', () => {
    const sameDest = () => '/w/out';
    assert.equal(planFileJobs([f('/w/1.x'), f('/w/2.x')], sameDest), '1.x and 2.x would both be written to out.');
  });

  it('overall progress counts the bytes of the files before, and never passes 100', () => {
    const overallPercent = (jobs: Parameters<typeof progressOf>[0], index: number, read: number) =>
      progressOf(jobs)(index, read);
    const jobs = [
      { src: 'a', dest: 'a.e', size: 100 },
      { src: 'b', dest: 'b.e', size: 300 },
    ];
    assert.equal(overallPercent(jobs, 0, 0), 0);
    assert.equal(overallPercent(jobs, 0, 100), 25);
    assert.equal(overallPercent(jobs, 1, 150), 62);
    assert.equal(overallPercent(jobs, 1, 300), 100);
    assert.equal(overallPercent(jobs, 1, 10_000), 100);
    // Empty files: counted by file.
    const empty = [
      { src: 'a', dest: 'a.e', size: 0 },
      { src: 'b', dest: 'b.e', size: 0 },
    ];
    assert.equal(overallPercent(empty, 0, 0), 0);
    assert.equal(overallPercent(empty, 1, 1), 100);
  });

  it('names files by base name, shortening long lists', () => {
    assert.equal(nameFiles(['/w/a.txt']), 'a.txt');
    assert.equal(nameFiles(['/w/a', '/w/b']), 'a and b');
    assert.equal(nameFiles(['/w/a', '/w/b', '/w/c']), 'a, b and c');
    assert.equal(nameFiles(['/w/a', '/w/b', '/w/c', '/w/d', '/w/e']), 'a, b and 3 more');
  });
});
