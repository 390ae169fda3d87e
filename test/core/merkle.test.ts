import { describe, expect, it } from "vitest";
import { SecureLogError } from "../../src/core/errors";
import { sha256, sha256Pair } from "../../src/core/hash";
import { toHex } from "../../src/core/hex";
import { foldProof, merkleProof, merkleRoot } from "../../src/core/merkle";
import { ZERO_HASH, type ProofStep } from "../../src/core/model";
import { vectors } from "../fixtures/vectors";

const { merkleCases } = vectors;

const ascii = (s: string) => new TextEncoder().encode(s);

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SecureLogError);
  expect((caught as SecureLogError).code).toBe(code);
}

// Independent oracle: RFC 6962's recursive shape (split at the largest power of
// two below n), without its prefixes. FORMAT §4 says the v1 tree has this shape.
async function recursiveRoot(leaves: Uint8Array[]): Promise<Uint8Array> {
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256Pair(await recursiveRoot(leaves.slice(0, k)), await recursiveRoot(leaves.slice(k)));
}

// Small seeded PRNG so a failure reproduces.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

const stepsHex = (path: ProofStep[]) =>
  path.map((s) => ({ sibling: toHex(s.siblingHash), right: s.right }));

describe("merkle vectors (FORMAT §4)", () => {
  it("covers leaf counts 0-5 and 8", () => {
    expect(merkleCases.map((c) => c.leafCount)).toEqual([0, 1, 2, 3, 4, 5, 8]);
  });

  it.each(merkleCases.map((c) => [c.leafCount, c] as const))(
    "%i leaves: leaves, root, every proof",
    async (n, c) => {
      expect(c.leaves.length).toBe(n);
      for (let i = 0; i < n; i++) {
        expect(toHex(c.leaves[i]!)).toBe(toHex(await sha256(ascii(String(i)))));
      }
      expect(toHex(await merkleRoot(c.leaves))).toBe(toHex(c.root));
      expect(c.proofs.length).toBe(n);
      for (const p of c.proofs) {
        expect(toHex(p.leaf)).toBe(toHex(c.leaves[p.leafIndex]!));
        const built = await merkleProof(c.leaves, p.leafIndex);
        expect(toHex(built.root)).toBe(toHex(c.root));
        expect(stepsHex(built.path)).toEqual(stepsHex(p.path));
        expect(toHex(await foldProof(p.leaf, p.path))).toBe(toHex(c.root));
      }
    },
  );

  it("0 leaves: root is a copy of ZERO_HASH; a proof is refused", async () => {
    const root = await merkleRoot([]);
    expect(toHex(root)).toBe(toHex(ZERO_HASH));
    expect(root).not.toBe(ZERO_HASH);
    root[0] = 1;
    expect(ZERO_HASH[0]).toBe(0);
    await rejectsWith(merkleProof([], 0), "invalid");
  });

  it("out-of-range or non-integer indexes are refused", async () => {
    const leaves = merkleCases.find((c) => c.leafCount === 3)!.leaves;
    for (const i of [-1, 3, 1.5, Number.NaN]) await rejectsWith(merkleProof(leaves, i), "invalid");
  });

  it("1 leaf: the root is the leaf and the path is empty", async () => {
    const leaf = await sha256(ascii("only"));
    expect(toHex(await merkleRoot([leaf]))).toBe(toHex(leaf));
    expect((await merkleProof([leaf], 0)).path).toEqual([]);
  });

  it("an odd last node is promoted unchanged, not paired with itself", async () => {
    const [l0, l1, l2] = merkleCases.find((c) => c.leafCount === 3)!.leaves as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ];
    const expected = await sha256Pair(await sha256Pair(l0, l1), l2);
    expect(toHex(await merkleRoot([l0, l1, l2]))).toBe(toHex(expected));
    expect((await merkleProof([l0, l1, l2], 2)).path.length).toBe(1);
  });

  // FORMAT §10.1: a v1 weakness, not a feature. With no leaf/node prefixes an
  // interior node H(l0||l1) passes as a "leaf" with a one-step path.
  it("v1 weakness: a 4-leaf interior node folds to the root as if it were a leaf", async () => {
    const c = merkleCases.find((m) => m.leafCount === 4)!;
    const [l0, l1, l2, l3] = c.leaves as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const interior = await sha256Pair(l0, l1);
    const forged = [{ siblingHash: await sha256Pair(l2, l3), right: true }];
    expect(toHex(await foldProof(interior, forged))).toBe(toHex(c.root));
  });
});

describe("merkle properties", () => {
  it("200 random trees of 1..70 leaves: proofs fold to the root, tampering does not", async () => {
    const rand = mulberry32(0x5ec10c);
    const int = (n: number) => Math.floor(rand() * n);
    const trees = Array.from({ length: 200 }, () =>
      Array.from({ length: 1 + int(70) }, () => Uint8Array.from({ length: 32 }, () => int(256))),
    );
    // Trees are checked concurrently: WebCrypto digests are async, so this overlaps them.
    const failures = await Promise.all(
      trees.map(async (leaves, t) => {
        const found: string[] = [];
        const seed = mulberry32(t);
        const bit = () => Math.floor(seed() * 256);
        const root = toHex(await merkleRoot(leaves));
        if (root !== toHex(await recursiveRoot(leaves))) found.push(`tree ${t}: shape`);
        for (let i = 0; i < leaves.length; i++) {
          const proof = await merkleProof(leaves, i);
          if (toHex(proof.root) !== root) found.push(`tree ${t} leaf ${i}: proof root`);
          if (toHex(await foldProof(leaves[i]!, proof.path)) !== root) {
            found.push(`tree ${t} leaf ${i}: does not fold to the root`);
          }
          if (proof.path.length > 0) {
            // One random sibling per proof; over all proofs every position gets hit.
            const s = Math.floor(seed() * proof.path.length);
            const tampered = proof.path.map((step, j) =>
              j === s ? { ...step, siblingHash: flipBit(step.siblingHash, bit()) } : step,
            );
            if (toHex(await foldProof(leaves[i]!, tampered)) === root) {
              found.push(`tree ${t} leaf ${i}: flipped sibling ${s} still folds`);
            }
          }
          if (proof.path.length > 0) {
            if (toHex(await foldProof(flipBit(leaves[i]!, bit()), proof.path)) === root) {
              found.push(`tree ${t} leaf ${i}: flipped leaf still folds`);
            }
          }
        }
        return found;
      }),
    );
    expect(failures.flat()).toEqual([]);
  });
});
