import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { constant, fieldsOf, parse, record } from './snippet.js';

test('enum values: implicit, explicit, expressions over earlier members and macros', () => {
  const { scope } = parse(`
#define BASE 10
enum { A, B, C = BASE + 2, D, E = C * 2, F = 1 << 3, G = -1, H };
enum named { X = 0x80000000, Y };`);
  assert.equal(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].map((n) => constant(scope, n)), [0n, 1n, 12n, 13n, 24n, 8n, -1n, 0n]);
  assert.is(constant(scope, 'Y'), 0x80000001n);
  assert.equal(scope.enumMembers.map((m) => m.name).slice(0, 3), ['A', 'B', 'C']);
});

test('sizeof and casts of typedefs inside constant expressions', () => {
  const { scope } = parse(`
struct hdr { __u32 len; __u16 type; __u16 flags; };
enum { L = sizeof(struct hdr), M = (__u16)~0, N = sizeof(__u64) + __alignof__(struct hdr) };`);
  assert.equal([constant(scope, 'L'), constant(scope, 'M'), constant(scope, 'N')], [8n, 0xffffn, 12n]);
});

test('natural alignment and tail padding (x86_64)', () => {
  const { scope } = parse(`
struct a { char c; int i; short s; };
struct b { __u8 x; __u64 y; __u8 z; };
struct c { struct a inner; char tail; };
struct d { long l; void *p; unsigned char u[3]; };`);
  assert.equal(fieldsOf(scope, 'a'), ['c@0', 'i@4', 's@8']);
  assert.equal([record(scope, 'a').layout!.size, record(scope, 'a').layout!.align], [12, 4]);
  assert.equal(fieldsOf(scope, 'b'), ['x@0', 'y@8', 'z@16']);
  assert.is(record(scope, 'b').layout!.size, 24);
  assert.equal(fieldsOf(scope, 'c'), ['inner@0', 'tail@12']);
  assert.is(record(scope, 'c').layout!.size, 16);
  assert.is(record(scope, 'd').layout!.size, 24);
});

test('flexible array members: [] and [0] take no space', () => {
  const { scope } = parse(`
struct f { __u32 n; __u16 k; __u64 data[]; };
struct z { __u16 n; __u8 data[0]; };`);
  assert.equal(fieldsOf(scope, 'f'), ['n@0', 'k@4', 'data@8']);
  assert.is(record(scope, 'f').layout!.size, 8);
  assert.equal([record(scope, 'z').layout!.size, record(scope, 'z').layout!.align], [2, 2]);
});

test('anonymous structs and unions are flattened with absolute offsets', () => {
  const { scope } = parse(`
struct s {
  __u32 head;
  union { __u32 a; struct { __u16 lo; __u16 hi; }; __u64 wide; };
  __u8 tail;
};
union u { __u32 word; struct { __u8 b0; __u8 b1; }; };`);
  assert.equal(fieldsOf(scope, 's'), ['head@0', 'a@8', 'lo@8', 'hi@10', 'wide@8', 'tail@16']);
  assert.equal([record(scope, 's').layout!.size, record(scope, 's').layout!.align], [24, 8]);
  assert.equal(fieldsOf(scope, 'u'), ['word@0', 'b0@0', 'b1@1']);
  assert.is(record(scope, 'u').layout!.size, 4);
});

test('packed and aligned attributes, __aligned_u64 and aligned typedefs', () => {
  const { scope } = parse(`
struct ethhdr { unsigned char h_dest[6]; unsigned char h_source[6]; __be16 h_proto; } __attribute__((packed));
struct p { __u8 a; __u32 b; } __attribute__((packed));
struct q { __u8 a; __u32 b __attribute__((aligned(8))); };
struct r { __u32 a; __aligned_u64 b; };
struct __attribute__((aligned(16))) t { __u32 a; };
typedef __u32 u32_a2 __attribute__((aligned(2)));
struct v { __u8 a; u32_a2 b; };
struct w { __u8 a; __u32 b __attribute__((packed)); };`);
  assert.equal([record(scope, 'ethhdr').layout!.size, record(scope, 'ethhdr').layout!.align], [14, 1]);
  assert.equal(fieldsOf(scope, 'p'), ['a@0', 'b@1']);
  assert.is(record(scope, 'p').layout!.size, 5);
  assert.equal(fieldsOf(scope, 'q'), ['a@0', 'b@8']);
  assert.equal([record(scope, 'q').layout!.size, record(scope, 'q').layout!.align], [16, 8]);
  assert.equal(fieldsOf(scope, 'r'), ['a@0', 'b@8']);
  assert.equal([record(scope, 't').layout!.size, record(scope, 't').layout!.align], [16, 16]);
  assert.equal(fieldsOf(scope, 'v'), ['a@0', 'b@2']);
  assert.equal(fieldsOf(scope, 'w'), ['a@0', 'b@1']);
});

test('macro-expanded members (tc_gen) and array bounds from macros', () => {
  const { scope } = parse(`
#define tc_gen \\
	__u32 index; \\
	__u32 capab; \\
	int action; \\
	int refcnt; \\
	int bindcnt
#define TC_QOPT_MAX_QUEUE 16
struct tc_mirred { tc_gen; int eaction; __u32 ifindex; };
struct m { __u16 count[TC_QOPT_MAX_QUEUE]; __u8 map[TC_QOPT_MAX_QUEUE / 4 + 1]; };`);
  assert.equal(fieldsOf(scope, 'tc_mirred'), ['index@0', 'capab@4', 'action@8', 'refcnt@12', 'bindcnt@16', 'eaction@20', 'ifindex@24']);
  assert.is(record(scope, 'tc_mirred').layout!.size, 28);
  assert.equal(fieldsOf(scope, 'm'), ['count@0', 'map@32']);
  assert.is(record(scope, 'm').layout!.size, 38);
});

test('typedefs: of untagged structs, of pointers to functions; nested tagged definitions', () => {
  const { scope } = parse(`
typedef struct { int val[2]; } fsid_t;
typedef void (*handler_t)(int);
struct outer { struct inner { __u16 x; } in; handler_t h; fsid_t f; };`);
  const fsid = scope.typedefs.get('fsid_t')!;
  assert.is(fsid.kind, 'typedef');
  assert.is(scope.records.find((r) => r.typedefName === 'fsid_t')!.layout!.size, 8);
  assert.equal(fieldsOf(scope, 'outer'), ['in@0', 'h@8', 'f@16']);
  assert.is(record(scope, 'inner').layout!.size, 2);
  // inner closes before outer: the order generated modules need
  assert.ok(record(scope, 'inner').doneAt! < record(scope, 'outer').doneAt!);
});

test('function prototypes and inline function bodies are skipped', () => {
  const { scope } = parse(`
extern int mount (const char *__special_file, const char *__dir, unsigned long int __rwflag) ;
static __inline__ __u32 swab32(__u32 val)
{
	__asm__("bswapl %0" : "=r" (val) : "0" (val));
	{ struct not_this { int a; } x; }
	return val;
}
struct after { int a; };`);
  assert.equal(scope.skipped, []);
  assert.equal(fieldsOf(scope, 'after'), ['a@0']);
  assert.ok(!scope.tags.has('not_this'));
});

test('bitfields: packed into their storage unit as gcc does, a unit they would cross is left for the next', () => {
  const { scope } = parse(`
struct bits { __u32 a:4, b:28; };
struct cross { __u8 x; __u8 a:4; __u8 b:6; __u16 after; };
struct closed { __u8 a:1; __u8 :0; __u8 b:1; };
union nope { __u32 a:4; };`);
  const bits = (name: string): string[] => record(scope, name).layout!.fields.map((f) => `${f.name}@${f.offset}+${f.bits?.shift}/${f.bits?.width}`);
  assert.equal(bits('bits'), ['a@0+0/4', 'b@0+4/28']);
  assert.equal([record(scope, 'bits').layout!.size, record(scope, 'bits').layout!.align], [4, 4]);
  assert.equal(bits('cross'), ['x@0+undefined/undefined', 'a@1+0/4', 'b@2+0/6', 'after@4+undefined/undefined']);
  assert.equal(bits('closed'), ['a@0+0/1', 'b@1+0/1']);
  assert.match(record(scope, 'nope').problem ?? '', /bitfield/);
  assert.is(record(scope, 'nope').layout, undefined);
});

test('a broken declaration is reported and skipped, parsing goes on', () => {
  const { scope } = parse('unknown_t x;\nstruct ok { int x; };');
  assert.is(scope.skipped.length, 1);
  assert.match(scope.skipped[0]!.reason, /main\.h:1/);
  assert.equal(fieldsOf(scope, 'ok'), ['x@0']);
});

test('forward declarations complete later; a redefinition is an error', () => {
  const { scope } = parse('struct later;\nstruct holder { struct later *p; };\nstruct later { __u64 x; };\nstruct later { int y; };');
  assert.is(record(scope, 'later').layout!.size, 8);
  assert.is(record(scope, 'holder').layout!.size, 8);
  assert.match(scope.skipped[0]!.reason, /redefinition of struct later/);
});

test.run();
