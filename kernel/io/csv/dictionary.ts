/**
 * A dictionary of byte strings built while parsing: each distinct field
 * value gets a code, looked up by hashing its bytes in the input buffer, so
 * a string column costs one Int32 a row and no JS string per field. The
 * strings are stored once, as UTF-8 with Arrow offsets.
 *
 * A column of mostly distinct values (ids, timestamps as text) gains
 * nothing from a dictionary and pays for its hash table: after 8192
 * values, if more than half were new, the dictionary turns "plain" — every
 * later value is appended with a code of its own, no lookup — and
 * `finish` says so (`unique: false`), so the parser hands the column on as
 * plain UTF-8 instead.
 *
 * Invariants: `offsets[0..count]` index `data`; until plain, `table` is an
 * open-address hash (linear probing) of codes + 1 (0 = empty), at most half
 * full, and no string appears twice.
 */
export class ByteDictionary {
  count = 0;
  private interned = 0;
  private plain = false;
  private data = new Uint8Array(1 << 12);
  private offsets = new Int32Array(1 << 8);
  private hashes = new Int32Array(1 << 8);
  private table = new Int32Array(1 << 10);
  private mask = (1 << 10) - 1;

  /** The code of buf[start, end), added when new. */
  intern(buf: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    return this.internHashed(buf, start, end, h);
  }

  /** intern, with the bytes' FNV-1a hash already computed (the parser hashes while it scans). */
  internHashed(buf: Uint8Array, start: number, end: number, h: number): number {
    if (this.plain) return this.append(buf, start, end);
    if (++this.interned === 8192 && this.count > 4096) {
      this.plain = true;
      this.table = new Int32Array(0);
      return this.append(buf, start, end);
    }
    const len = end - start;
    const table = this.table, data = this.data, offsets = this.offsets;
    let slot = h & this.mask;
    for (;;) {
      const e = table[slot]!;
      if (e === 0) break;
      const code = e - 1;
      if (this.hashes[code] === h) {
        const o = offsets[code]!;
        if (offsets[code + 1]! - o === len) {
          let k = 0;
          while (k < len && data[o + k] === buf[start + k]) k++;
          if (k === len) return code;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    return this.add(buf, start, end, h, slot);
  }

  /** A new code for buf[start, end), without looking it up (plain mode). */
  private append(buf: Uint8Array, start: number, end: number): number {
    const code = this.count++;
    if (this.count + 1 >= this.offsets.length) this.offsets = grow(this.offsets, this.offsets.length * 2);
    const at = this.offsets[code]!;
    const len = end - start;
    if (at + len > this.data.length) this.data = grow(this.data, Math.max(this.data.length * 2, at + len));
    const data = this.data;
    for (let k = 0; k < len; k++) data[at + k] = buf[start + k]!;
    this.offsets[code + 1] = at + len;
    return code;
  }

  private add(buf: Uint8Array, start: number, end: number, h: number, slot: number): number {
    const code = this.count++;
    if (this.count + 1 >= this.offsets.length) {
      this.offsets = grow(this.offsets, this.offsets.length * 2);
      this.hashes = grow(this.hashes, this.hashes.length * 2);
    }
    const at = this.offsets[code]!;
    const len = end - start;
    if (at + len > this.data.length) this.data = grow(this.data, Math.max(this.data.length * 2, at + len));
    const data = this.data;
    for (let k = 0; k < len; k++) data[at + k] = buf[start + k]!;
    this.offsets[code + 1] = at + len;
    this.hashes[code] = h;
    this.table[slot] = code + 1;
    if (this.count * 2 > this.mask) this.rehash();
    return code;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    for (let c = 0; c < this.count; c++) {
      let slot = this.hashes[c]! & this.mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot] = c + 1;
    }
  }

  /** The strings as UTF-8 with offsets, on shared memory; `unique` is false once plain. */
  finish(): { offsets: Int32Array; data: Uint8Array; unique: boolean } {
    const n = this.count;
    const offsets = new Int32Array(new SharedArrayBuffer((n + 1) * 4));
    offsets.set(this.offsets.subarray(0, n + 1));
    const bytes = this.offsets[n]!;
    const data = new Uint8Array(new SharedArrayBuffer(bytes));
    data.set(this.data.subarray(0, bytes));
    return { offsets, data, unique: !this.plain };
  }
}

function grow<T extends Int32Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
