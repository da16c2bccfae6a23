import { test } from "node:test";
import assert from "node:assert/strict";
import { da } from "../../../kernel";

test("broadcasting mismatches name both shapes", () => {
  assert.throws(() => da.zeros([3, 4]).add(da.zeros([5])), /could not be broadcast together with shapes \[3, 4\] \[5\]/);
});

test("wrong dtypes for an operation say what to do instead", () => {
  const b = da.zeros([2], { dtype: "bool" });
  assert.throws(() => b.sub(b), /sub is not defined for bool .*xor/);
  assert.throws(() => da.zeros([2], { dtype: "complex128" }).lt(0), /no order/);
  assert.throws(() => da.zeros([2], { dtype: "complex128" }).max(), /complex numbers have no order/);
  assert.throws(() => da.zeros([2], { dtype: "uint8" }).add(300), /300 is out of bounds for uint8/);
  assert.throws(() => da.zeros([2]).mask(da.zeros([2])), /dtype bool, got float64: compare first/);
  assert.throws(() => da.zeros([2]).astype("int" as never), /astype\(dtype\) must be one of/);
});

test("bad axes, options and operands are refused with the expected form", () => {
  const x = da.zeros([3, 4]);
  assert.throws(() => x.sum({ axis: 2 }), /axis must be an integer in -2..1 for an array of 2 dimensions, got 2/);
  assert.throws(() => x.sum({ axis: [0, 0] }), /without repeated axes/);
  assert.throws(() => x.sum({ splitEvery: 1 }), /splitEvery must be an integer of at least 2/);
  assert.throws(() => x.argmin({ axis: [0, 1] as never }), /one axis/);
  assert.throws(() => x.var({ ddof: -1 }), /ddof must be a non-negative integer/);
  assert.throws(() => x.add("1" as never), /a Tessera array, an NDArray, or a number/);
  assert.throws(() => x.rechunk([[2, 2], [4]]), /do not tile the shape along axis 0/);
  assert.throws(() => x.repeat(-1), /non-negative integer/);
});
