import { createInterface } from 'node:readline';

/** Raised when no secret could be read (an empty line, end of input, or Ctrl-C at the prompt). */
export class NoSecretError extends Error {}

/**
 * Reads a secret without it ever being an argument (shell history, `ps`, npm's echo of the command): typed at a
 * prompt that shows nothing when standard input is a terminal, else the first line of standard input.
 */
export async function readSecret(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  const secret = input.isTTY ? await readHidden(prompt, input, output) : await readFirstLine(input);
  if (!secret) throw new NoSecretError('No password was given.');
  return secret;
}

function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    let done = false;
    const finish = (line: string) => { if (!done) { done = true; rl.close(); resolve(line.replace(/\r$/, '')); } };
    rl.once('line', finish);
    rl.once('close', () => finish(''));
  });
}

function readHidden(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve) => {
    output.write(prompt);
    let value = '';
    const finish = (result: string) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(value);
        if (ch === '\u0003') return finish(''); // Ctrl-C
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
