/**
 * A bounded history of numbered records (task stream, memory timeline):
 * the newest `capacity` records, each with a `seq` one more than the last,
 * so a reader asks for what came after the last record it has.
 */
export class Ring<T extends { seq: number }> {
  private readonly items: (T | undefined)[];
  private next = 0;

  constructor(readonly capacity: number) {
    this.items = new Array(capacity);
  }

  /** The seq the next record gets. */
  get nextSeq(): number {
    return this.next;
  }

  /** Adds a record made with the next seq. */
  push(make: (seq: number) => T): T {
    const r = make(this.next);
    this.items[this.next % this.capacity] = r;
    this.next++;
    return r;
  }

  /** Records with seq > `after` still kept (at most `max`, the newest), oldest first, and how many were left out. */
  since(after: number, max = this.capacity): { records: T[]; dropped: number } {
    const oldest = Math.max(0, this.next - this.capacity);
    const from = Math.max(after + 1, oldest, this.next - max);
    const records: T[] = [];
    for (let s = from; s < this.next; s++) records.push(this.items[s % this.capacity]!);
    return { records, dropped: Math.max(0, from - Math.max(after + 1, 0)) };
  }
}
