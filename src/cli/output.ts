// Where the CLI writes: plain lines, or JSON like iproute2's -j (one array, compact unless -p).
export interface Output {
  line(text: string): void;
  json(value: unknown): void;
}

export function stdoutOutput(pretty: boolean): Output {
  return {
    line: (text) => { process.stdout.write(`${text}\n`); },
    json: (value) => { process.stdout.write(`${JSON.stringify(value, null, pretty ? 4 : undefined)}\n`); },
  };
}
