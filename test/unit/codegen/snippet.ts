// Runs C snippets through the generator's stages without touching the disk:
// a memory host serves the files, the same preprocessor and parser read them.
import { Preprocessor, type IncludeDecision, type PreprocessHost, type PreprocessResult } from '../../../codegen/preprocess.js';
import { parseDeclarations, type Scope } from '../../../codegen/parse-decls.js';
import type { RecordDef } from '../../../codegen/ctypes.js';

/** The kernel's fixed-width types, as linux/types.h and asm-generic/int-ll64.h define them. */
export const TYPES = `
typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef short __s16;
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u64 __be64;
#define __aligned_u64 __u64 __attribute__((aligned(8)))
`;

export class MemoryHost implements PreprocessHost {
  constructor(private readonly files: Readonly<Record<string, string>>) {}

  resolveInclude(name: string): IncludeDecision {
    return name in this.files ? { follow: name } : { skip: 'not in the snippet' };
  }

  readFile(path: string): string {
    const text = this.files[path];
    if (text === undefined) throw new Error(`no file ${path}`);
    return text;
  }
}

/** Preprocesses `main.h` (after TYPES) with the given extra files. */
export function preprocess(main: string, files: Record<string, string> = {}): PreprocessResult {
  const pre = new Preprocessor(new MemoryHost({ ...files, 'main.h': main }));
  pre.processText(TYPES, '<types>');
  pre.includeTopLevel('main.h');
  return pre.result();
}

export function parse(main: string, files: Record<string, string> = {}): { pre: PreprocessResult; scope: Scope } {
  const pre = preprocess(main, files);
  return { pre, scope: parseDeclarations(pre.tokens) };
}

/** The output tokens of main.h as text, one space between tokens. */
export function expandText(main: string, files: Record<string, string> = {}): string {
  return preprocess(main, files).tokens.filter((t) => t.file !== '<types>').map((t) => t.text).join(' ');
}

export function record(scope: Scope, tag: string): RecordDef {
  const r = scope.tags.get(tag);
  if (r === undefined || !('kind' in r)) throw new Error(`no struct ${tag}`);
  return r;
}

/** A record's fields as `name@offset` strings, for compact assertions. */
export function fieldsOf(scope: Scope, tag: string): string[] {
  const r = record(scope, tag);
  if (r.layout === undefined) throw new Error(`${tag}: ${r.problem ?? 'no layout'}`);
  return r.layout.fields.map((f) => `${f.name}@${f.offset}`);
}

export function constant(scope: Scope, name: string): bigint {
  const c = scope.constants.get(name);
  if (c === undefined) throw new Error(`no enum constant ${name}`);
  return c.value.value;
}
