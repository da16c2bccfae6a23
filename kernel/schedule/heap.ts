/**
 * A binary min-heap of task indices ordered by a fixed priority array: the
 * scheduler's ready queue. Ties go to the lower index, so the order is
 * deterministic.
 */
export class IndexHeap {
  private items: Int32Array;
  private n = 0;

  constructor(
    private readonly priority: ArrayLike<number>,
    capacity = 16,
  ) {
    this.items = new Int32Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.n;
  }

  /** The index with the smallest priority, without removing it (-1 if empty). */
  peek(): number {
    return this.n > 0 ? this.items[0]! : -1;
  }

  push(i: number): void {
    if (this.n === this.items.length) {
      const bigger = new Int32Array(this.items.length * 2);
      bigger.set(this.items);
      this.items = bigger;
    }
    const a = this.items;
    let at = this.n++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.less(i, a[parent]!)) break;
      a[at] = a[parent]!;
      at = parent;
    }
    a[at] = i;
  }

  pop(): number {
    if (this.n === 0) return -1;
    const a = this.items;
    const top = a[0]!;
    const last = a[--this.n]!;
    let at = 0;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= this.n) break;
      const r = l + 1;
      const c = r < this.n && this.less(a[r]!, a[l]!) ? r : l;
      if (!this.less(a[c]!, last)) break;
      a[at] = a[c]!;
      at = c;
    }
    a[at] = last;
    return top;
  }

  private less(i: number, j: number): boolean {
    const pi = this.priority[i]!;
    const pj = this.priority[j]!;
    return pi < pj || (pi === pj && i < j);
  }
}
