import { test } from "node:test";
import assert from "node:assert/strict";
import { isKey, keyIndices, keyLabel, keyName, keyStr, parseKey } from "../../kernel/graph";

test("string and tuple keys have one string form each, and parse back", () => {
  assert.equal(keyStr("sum-1f3a"), "sum-1f3a");
  assert.equal(keyStr(["add-9f2c", 3, 1]), '["add-9f2c",3,1]');
  assert.deepEqual(parseKey('["add-9f2c",3,1]'), ["add-9f2c", 3, 1]);
  assert.equal(parseKey("sum-1f3a"), "sum-1f3a");
});

test("keyName and keyIndices read the parts of a key", () => {
  assert.equal(keyName('["add-9f2c",3,1]'), "add-9f2c");
  assert.equal(keyName('["we\\"ird",0]'), 'we"ird');
  assert.equal(keyName("x"), "x");
  assert.deepEqual(keyIndices('["a",4,5]'), [4, 5]);
  assert.deepEqual(keyIndices("a"), []);
});

test("keyLabel strips the token, as Dask's key_split", () => {
  assert.equal(keyLabel("add-9f2c0b1de4aa"), "add");
  assert.equal(keyLabel('["sum-aggregate-77aa01bc55",0]'), "sum-aggregate");
  assert.equal(keyLabel("read-csv"), "read-csv");
  assert.equal(keyLabel("a-b-0123abcd"), "a-b");
  assert.equal(keyLabel("x-1234567"), "x-1234567", "a token has 8 or more hex digits");
  assert.equal(keyLabel("x-ABCDEF12"), "x-ABCDEF12", "lowercase hex only");
  assert.equal(keyLabel("x-0123abcg"), "x-0123abcg");
  assert.equal(keyLabel("deadbeef00"), "deadbeef00");
});

test("bad keys are refused with the value and the expected form", () => {
  for (const bad of ["", "[x", [], [3], ["a", 1.5], ["", 1], null, 7]) {
    assert.equal(isKey(bad), false, JSON.stringify(bad));
    assert.throws(() => keyStr(bad as never), (e: Error & { code?: string }) => {
      assert.equal(e.code, "TESSERA_BAD_KEY");
      assert.match(e.message, /a key is a non-empty string or a tuple/);
      return true;
    });
  }
});
