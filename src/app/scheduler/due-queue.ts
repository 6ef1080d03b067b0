/** An entry of the due queue: what is due when; `seq` keeps entries due at the same time in schedule order. */
export interface DueEntry<T> {
  due: number;
  seq: number;
  value: T;
}

const earlier = <T>(a: DueEntry<T>, b: DueEntry<T>) => a.due < b.due || (a.due === b.due && a.seq < b.seq);

/** A binary min-heap of entries by due time (then schedule order): O(log n) push and pop. */
export class DueQueue<T> {
  private readonly heap: DueEntry<T>[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** The entry due first, without removing it. */
  peek(): DueEntry<T> | undefined {
    return this.heap[0];
  }

  push(entry: DueEntry<T>): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** Removes and returns the entry due first. */
  pop(): DueEntry<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let first = i;
        if (left < heap.length && earlier(heap[left]!, heap[first]!)) first = left;
        if (right < heap.length && earlier(heap[right]!, heap[first]!)) first = right;
        if (first === i) break;
        [heap[i], heap[first]] = [heap[first]!, heap[i]!];
        i = first;
      }
    }
    return top;
  }

  /** Drops every entry `keep` rejects (to shed stale entries when they outnumber live ones). */
  retain(keep: (entry: DueEntry<T>) => boolean): void {
    const kept = this.heap.filter(keep);
    this.heap.length = 0;
    for (const entry of kept) this.push(entry);
  }
}
