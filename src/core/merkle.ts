// The v1 Merkle tree (FORMAT §4). Its shape is RFC 6962's, but it is NOT RFC 6962:
// leaves and nodes carry no 0x00/0x01 domain-separation prefix, so an interior
// node can pose as a leaf (FORMAT §10.1). Kept that way because these are the
// v1 bytes the reference signs; changing them would break every existing root.

import { errors } from "./errors";
import { pairBytes, sha256Each, sha256Pair } from "./hash";
import { ZERO_HASH, type ProofStep } from "./model";

// One level up: pairs hashed in one batch (sha256Each: no promise per node),
// an odd last node promoted unchanged.
async function parentLevel(level: Uint8Array[]): Promise<Uint8Array[]> {
  const pairs: Uint8Array[] = [];
  for (let i = 0; i + 1 < level.length; i += 2) pairs.push(pairBytes(level[i]!, level[i + 1]!));
  const next = await sha256Each(pairs);
  if (level.length % 2 === 1) next.push(level[level.length - 1]!);
  return next;
}

/** Leaves are entry hashes, used as is. 0 leaves gives ZERO_HASH, 1 leaf gives the leaf. */
export async function merkleRoot(leaves: Uint8Array[]): Promise<Uint8Array> {
  if (leaves.length === 0) return ZERO_HASH.slice();
  let level = leaves;
  while (level.length > 1) level = await parentLevel(level);
  return level[0]!;
}

/** The root and the audit path of `leaves[index]`; a promoted node adds no step. */
export async function merkleProof(
  leaves: Uint8Array[],
  index: number,
): Promise<{ root: Uint8Array; path: ProofStep[] }> {
  if (leaves.length === 0) throw errors.invalid("merkle proof over an empty leaf list");
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw errors.invalid(`leaf index ${index} out of range for ${leaves.length} leaves`);
  }
  const path: ProofStep[] = [];
  let level = leaves;
  let i = index;
  while (level.length > 1) {
    const sibling = i ^ 1;
    if (sibling < level.length) path.push({ siblingHash: level[sibling]!, right: i % 2 === 0 });
    level = await parentLevel(level);
    i >>= 1;
  }
  return { root: level[0]!, path };
}

/** Folds a path onto a leaf hash; the caller compares the result with the expected root. */
export async function foldProof(entryHash: Uint8Array, path: ProofStep[]): Promise<Uint8Array> {
  let running = entryHash;
  for (const step of path) {
    running = step.right
      ? await sha256Pair(running, step.siblingHash)
      : await sha256Pair(step.siblingHash, running);
  }
  return running;
}
