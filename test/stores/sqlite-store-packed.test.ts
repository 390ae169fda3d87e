// The packed read path (texts as one JSON array, blobs as one joined blob) must
// return exactly the stored values, and a column holding the wrong type must
// still fail naming that column (the fallback reads the row column by column).

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { buildSqliteEngine } from "../../scripts/lib/build-sqlite-engine";
import type { Engine } from "../../src/stores/sqlite/engine";
import { SqliteStore } from "../../src/stores/sqlite/sqlite-store";
import { instantiateComponent } from "../components/harness";
import { CLOCK } from "./store-contract";
let engine: Engine;
let path: string;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "sqlite-packed-"));
  engine = (
    await instantiateComponent<{ engine: Engine }>((await buildSqliteEngine()).wasmPath, {
      preopens: { "/data": dir },
    })
  ).engine;
  path = "/data/x.db";
}, 300000);
it("reads odd text exactly and names a column of the wrong type", () => {
  const s = new SqliteStore(engine, { clock: CLOCK });
  s.init(path);
  s.close();
  const db = engine.open(path);
  engine.execute(
    db,
    `INSERT INTO secure_log VALUES (1, 's', 'a"b\\c' || char(0) || 'é😀' || char(10) || char(1) || '\u2028', 'b', 't', 'e', 'info', 'p', 'cbor', x'0102', zeroblob(32), x'ff');
    INSERT INTO secure_log VALUES (2, 's', x'41', 'b', 't', 'e', 'info', 'p', 'cbor', x'', x'', x'');
    INSERT INTO secure_log VALUES (3, 'u', 'x', 'b', 't', 'e', 'info', 'p', 'cbor', 'txt', x'', x'');
    INSERT INTO secure_log VALUES (6, 'z', CAST(x'ff41' AS TEXT), 'b', 't', 'e', 'info', 'p', 'c', x'', x'', x'');
    INSERT INTO secure_log VALUES (5, 'v', 'x', 'b', 't', 'e', 'info', 'p', 1.5, x'', x'', x'');`,
  );
  engine.close(db);
  const st = new SqliteStore(engine, { clock: CLOCK });
  st.init(path);
  const r = st.secureLogGet(1n)!;
  expect(r.sessionId).toBe('a"b\\c\u0000é😀\n\u0001\u2028');
  expect(r.payload).toEqual(new Uint8Array([1, 2]));
  expect(r.entryHash).toEqual(new Uint8Array([255]));
  expect(r.prevEntryHash).toEqual(new Uint8Array(32));
  expect(r.seqno).toBe(1n);
  expect(() => st.secureLogRange("s", 1n, 5n)).toThrow(
    "secure_log.session_id holds a blob of 1 bytes, not text",
  );
  expect(() => st.secureLogGet(2n)).toThrow(
    "secure_log.session_id holds a blob of 1 bytes, not text",
  );
  expect(() => st.secureLogLast("u")).toThrow('secure_log.payload holds text "txt", not a blob');
  // TEXT affinity stores the number as the text "1.5".
  expect(st.secureLogLast("v")!.payloadEncoding).toBe("1.5");
  expect(() => st.secureLogLast("z")).toThrow();
});
