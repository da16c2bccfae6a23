/**
 * Shared set-up of the bag tests: one cluster of two threads, both
 * schedulers, several partition counts (one, a few, more than items), and
 * small W4-like records generated deterministically.
 */
import { after, before } from "node:test";
import { LocalCluster } from "../../../kernel";

export const SCHEDULERS = ["sync", "threads"] as const;

/** One partition, a few, and more partitions than items. */
export function partitionCounts(nItems: number): number[] {
  return [1, 3, nItems + 4];
}

export function useCluster(): void {
  let cluster: LocalCluster | undefined;
  before(async () => {
    cluster = await LocalCluster.start({ workers: 2 });
  });
  after(async () => {
    await cluster?.close();
  });
}

export interface Person {
  id: number;
  name: string;
  occupation: string;
  age: number;
  city: string;
  tags: string[];
}

const OCCUPATIONS = ["Data Engineer", "Civil Analyst", "Sales Manager", "Farm Technician", "Audio Scientist"];
const CITIES = ["Kalo", "Mira", "Bedo", "Fiji"];
const TAGS = ["a", "b", "c", "d"];

/** n records like W4's, from a small linear congruential generator (same every run). */
export function people(n: number, seed = 1): Person[] {
  let s = seed >>> 0;
  const next = (m: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % m;
  };
  return Array.from({ length: n }, (_, id) => ({
    id,
    name: `P${id}`,
    occupation: OCCUPATIONS[next(OCCUPATIONS.length)]!,
    age: 18 + next(60),
    city: CITIES[next(CITIES.length)]!,
    tags: Array.from({ length: next(4) }, () => TAGS[next(TAGS.length)]!),
  }));
}
