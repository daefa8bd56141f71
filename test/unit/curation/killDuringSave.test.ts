import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../../support/fixtures';

test('a process killed (SIGKILL) while saving leaves the original file intact', async () => {
  const dir = tempDir('rarft-kill-');
  const target = join(dir, 'anno.json');
  const original = `[${'{"video": "a.mp4", "GRPO": []},'.repeat(1000)}{}]\n`;
  writeFileSync(target, original);
  // The child saves a large new version through the same atomic write that exports and flags use, over and over.
  const script = `
    import { writeFileAtomic } from ${JSON.stringify(join(ROOT, 'src/core/fsAtomic.ts'))};
    const big = '[' + '"x",'.repeat(20_000_000) + '"y"]\\n';
    for (;;) await writeFileAtomic(${JSON.stringify(target)}, big);
  `;
  const scriptFile = join(tempDir('rarft-kill-script-'), 'save.mts');
  writeFileSync(scriptFile, script);
  const child = spawn(process.execPath, ['--import', 'tsx', scriptFile], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    // Wait until a save is under way (its temporary file exists), then kill the process mid-write.
    const deadline = Date.now() + 60_000;
    while (!readdirSync(dir).some((n) => n.endsWith('.tmp'))) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`the child never started saving: ${stderr}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  } finally {
    child.kill('SIGKILL');
  }
  await new Promise((r) => child.once('exit', r));
  const now = readFileSync(target, 'utf8');
  // Either the original or a complete new version: never a torn file.
  assert.ok(
    now === original || (now.startsWith('["x",') && now.endsWith('"y"]\n')),
    `torn file of ${now.length} characters`,
  );
  assert.doesNotThrow(() => JSON.parse(now));
});
