/**
 * tslab runs each cell as a function of its own and compiles a reference to
 * an earlier cell's variable `k` as `exports.k`. Two consequences the kernel
 * repairs, both with acorn (positions, not regular expressions):
 *
 * - A function sent to workers would read `exports.k`: the closure check
 *   would blame a variable named "exports", and `{ captures: { k } }` could
 *   not help. `unexportReferences` turns `exports.k` back into `k` in the
 *   function's source (installed through `setSourceTransform`).
 * - tslab misses shorthand properties: `{ captures: { k } }` compiles to
 *   `{ k }`, a ReferenceError at run time. `fixShorthands` rewrites it to
 *   `{ k: exports.k }` in the cell's compiled code.
 *
 * Both keep every line break, so positions in error reports stay right.
 */
import * as acorn from "acorn";

type Node = acorn.Node & Record<string, unknown>;

const OPTIONS: acorn.Options = { ecmaVersion: "latest", sourceType: "script", allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true };

/** Calls `fn(node, parent)` for every node under `root`. */
function walk(root: Node, fn: (node: Node, parent: Node | undefined) => void): void {
  const stack: [Node, Node | undefined][] = [[root, undefined]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop()!;
    fn(node, parent);
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof c === "object" && typeof (c as Node).type === "string") stack.push([c as Node, node]);
      } else if (v && typeof v === "object" && typeof (v as Node).type === "string" && key !== "loc") {
        stack.push([v as Node, node]);
      }
    }
  }
}

function splice(text: string, edits: { start: number; end: number; text: string }[]): string {
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * `exports.k` -> `k` in a function's source; unparsable text comes back unchanged.
 * @example unexportReferences("(x) => x * exports.k") // "(x) => x * k"
 */
export function unexportReferences(source: string): string {
  if (!source.includes("exports.")) return source;
  let root: Node;
  let offset = 1;
  try {
    root = acorn.parseExpressionAt(`(${source})`, 0, OPTIONS) as unknown as Node;
  } catch {
    try {
      root = acorn.parseExpressionAt(`({${source}})`, 0, OPTIONS) as unknown as Node; // method shorthand: "train(part) { … }"
      offset = 2;
    } catch {
      return source;
    }
  }
  const edits: { start: number; end: number; text: string }[] = [];
  walk(root, (n) => {
    if (n.type !== "MemberExpression" || n["computed"]) return;
    const obj = n["object"] as Node, prop = n["property"] as Node;
    if (obj.type === "Identifier" && obj["name"] === "exports" && prop.type === "Identifier") {
      edits.push({ start: n.start - offset, end: n.end - offset, text: prop["name"] as string });
    }
  });
  return splice(source, edits);
}

/** Every name a binding pattern declares. */
function bindingNames(p: Node | null | undefined, out: Set<string>): void {
  if (!p) return;
  switch (p.type) {
    case "Identifier":
      out.add(p["name"] as string);
      break;
    case "AssignmentPattern":
      bindingNames(p["left"] as Node, out);
      break;
    case "RestElement":
      bindingNames(p["argument"] as Node, out);
      break;
    case "ObjectPattern":
      for (const prop of p["properties"] as Node[]) bindingNames((prop.type === "RestElement" ? prop : prop["value"]) as Node, out);
      break;
    case "ArrayPattern":
      for (const el of p["elements"] as (Node | null)[]) bindingNames(el, out);
      break;
  }
}

/**
 * In a cell's compiled code, `{ k }` -> `{ k: exports.k }` for names an
 * earlier cell declared (`earlier`) that the cell itself does not declare.
 * @example fixShorthands("const o = { k };", new Set(["k"])) // "const o = { k: exports.k };"
 */
export function fixShorthands(code: string, earlier: ReadonlySet<string>): string {
  if (earlier.size === 0 || !code.includes("{")) return code;
  let root: Node;
  try {
    root = acorn.parse(code, OPTIONS) as unknown as Node;
  } catch {
    return code; // tslab's output always parses; if not, leave it to fail as it would
  }
  const declared = new Set<string>();
  const shorthands: Node[] = [];
  walk(root, (n, parent) => {
    if (n.type === "VariableDeclarator") bindingNames(n["id"] as Node, declared);
    else if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression") {
      if (n["id"]) bindingNames(n["id"] as Node, declared);
      for (const p of n["params"] as Node[]) bindingNames(p, declared);
    } else if (n.type === "ClassDeclaration" && n["id"]) bindingNames(n["id"] as Node, declared);
    else if (n.type === "CatchClause") bindingNames(n["param"] as Node, declared);
    else if (n.type === "Property" && n["shorthand"] && parent?.type === "ObjectExpression") shorthands.push(n);
  });
  const edits = shorthands
    .map((p) => p["value"] as Node)
    .filter((v) => v.type === "Identifier" && earlier.has(v["name"] as string) && !declared.has(v["name"] as string))
    .map((v) => ({ start: v.start, end: v.end, text: `${v["name"] as string}: exports.${v["name"] as string}` }));
  return edits.length === 0 ? code : splice(code, edits);
}
