/**
 * Reads a user function's source and finds the names it uses from outside
 * its own body, so that a closure is rejected before scheduling, with the
 * variable named, instead of failing later in a worker with "x is not
 * defined" (or, worse, silently reading a different global).
 *
 * The source is parsed with acorn and walked with a scope chain: function
 * scopes (params, var, function declarations, hoisted), block scopes (let,
 * const, class, catch parameters). An identifier in a reference position that
 * no enclosing scope declares is free; free names that are worker globals
 * (Math, JSON, console, …) or explicit captures are fine.
 */
import * as acorn from "acorn";
import { Errors } from "../errors";
import { GLOBAL_NAMES } from "./globals";

export interface AnalyzedFunction {
  /** An expression that evaluates to the function (method shorthand is wrapped). */
  source: string;
  name: string;
  /** Names read from outside the function: not declared inside, not globals. */
  freeVars: string[];
}

type Node = acorn.Node & Record<string, unknown>;

const PARSE: acorn.Options = { ecmaVersion: "latest", sourceType: "script", allowHashBang: false };

/**
 * Parses `fn`'s source and lists its free variables (globals excluded).
 * `transform` rewrites the source text first (see callable.ts `setSourceTransform`).
 */
export function analyzeFunction(fn: Function, transform?: (source: string) => string): AnalyzedFunction {
  const original = Function.prototype.toString.call(fn);
  const text = transform === undefined || original.endsWith("{ [native code] }") ? original : transform(original);
  const name = fn.name || "(anonymous)";
  if (text.endsWith("{ [native code] }")) {
    throw Errors.notShippable(
      `native function ${name}`,
      "it has no source text to send",
      "use a well-known global such as JSON.parse or Math.sqrt, or wrap it: (x) => myNative(x) with captures",
    );
  }
  if (text.startsWith("class ") || text.startsWith("class{")) {
    throw Errors.notShippable(`class ${name}`, "a class is not a function a task can call", "pass a function instead");
  }
  const { node, source } = parseFunction(text, name);
  const free = new Set<string>();
  new ScopeWalker(free).fn(node, null);
  return { source, name, freeVars: [...free].filter((v) => !GLOBAL_NAMES.has(v)).sort() };
}

function parseFunction(text: string, name: string): { node: Node; source: string } {
  try {
    const expr = acorn.parseExpressionAt(`(${text})`, 0, PARSE) as Node;
    const inner = (expr.type === "ParenthesizedExpression" ? expr["expression"] : expr) as Node;
    if (isFunction(inner)) return { node: inner, source: text };
  } catch {
    // fall through: method shorthand, e.g. "train(part) { … }"
  }
  try {
    const obj = acorn.parseExpressionAt(`({${text}})`, 0, PARSE) as Node;
    const props = obj["properties"] as Node[] | undefined;
    const value = props?.[0]?.["value"] as Node | undefined;
    if (props?.length === 1 && value !== undefined && isFunction(value)) {
      return { node: value, source: `Object.values({${text}})[0]` };
    }
  } catch {
    // fall through
  }
  throw Errors.notShippable(`function ${name}`, "its source text could not be parsed", "define it as a plain function or arrow function");
}

function isFunction(n: Node): boolean {
  return n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression" || n.type === "FunctionDeclaration";
}

class Scope {
  readonly names = new Set<string>();
  constructor(readonly parent: Scope | null, readonly isFunction: boolean) {}
  has(name: string): boolean {
    for (let s: Scope | null = this; s !== null; s = s.parent) if (s.names.has(name)) return true;
    return false;
  }
  functionScope(): Scope {
    let s: Scope = this;
    while (!s.isFunction && s.parent !== null) s = s.parent;
    return s;
  }
}

/** Keys of a node that hold identifiers which are not references. */
function skipsKey(node: Node, key: string): boolean {
  switch (node.type) {
    case "MemberExpression":
      return key === "property" && !node["computed"];
    case "Property":
    case "MethodDefinition":
    case "PropertyDefinition":
      return key === "key" && !node["computed"];
    case "LabeledStatement":
    case "BreakStatement":
    case "ContinueStatement":
      return key === "label";
    case "MetaProperty":
      return true;
  }
  return false;
}

class ScopeWalker {
  constructor(private readonly free: Set<string>) {}

  fn(node: Node, outer: Scope | null): void {
    const scope = new Scope(outer, true);
    const id = node["id"] as Node | null;
    if (id && node.type === "FunctionExpression") scope.names.add(id["name"] as string);
    const params = node["params"] as Node[];
    for (const p of params) declarePattern(p, scope);
    for (const p of params) this.patternExpressions(p, scope);
    const body = node["body"] as Node;
    if (body.type === "BlockStatement") {
      hoistVars(body, scope);
      this.block(body["body"] as Node[], scope);
    } else {
      this.expr(body, scope);
    }
  }

  private block(stmts: Node[], scope: Scope): void {
    for (const s of stmts) declareLexical(s, scope);
    for (const s of stmts) this.visit(s, scope);
  }

  private expr(node: Node, scope: Scope): void {
    this.visit(node, scope);
  }

  /** Default values and computed keys inside a binding pattern are expressions. */
  private patternExpressions(p: Node, scope: Scope): void {
    switch (p.type) {
      case "AssignmentPattern":
        this.patternExpressions(p["left"] as Node, scope);
        this.visit(p["right"] as Node, scope);
        break;
      case "ObjectPattern":
        for (const prop of p["properties"] as Node[]) {
          if (prop.type === "RestElement") this.patternExpressions(prop["argument"] as Node, scope);
          else {
            if (prop["computed"]) this.visit(prop["key"] as Node, scope);
            this.patternExpressions(prop["value"] as Node, scope);
          }
        }
        break;
      case "ArrayPattern":
        for (const el of p["elements"] as (Node | null)[]) if (el) this.patternExpressions(el, scope);
        break;
      case "RestElement":
        this.patternExpressions(p["argument"] as Node, scope);
        break;
    }
  }

  private visit(node: Node, scope: Scope): void {
    switch (node.type) {
      case "Identifier":
        if (!scope.has(node["name"] as string)) this.free.add(node["name"] as string);
        return;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        this.fn(node, scope);
        return;
      case "ClassDeclaration":
      case "ClassExpression": {
        const inner = new Scope(scope, false);
        const id = node["id"] as Node | null;
        if (id) inner.names.add(id["name"] as string);
        if (node["superClass"]) this.visit(node["superClass"] as Node, scope);
        this.visit(node["body"] as Node, inner);
        return;
      }
      case "BlockStatement":
      case "StaticBlock":
        this.block(node["body"] as Node[], new Scope(scope, false));
        return;
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement": {
        const inner = new Scope(scope, false);
        const head = (node["init"] ?? node["left"]) as Node | null;
        if (head?.type === "VariableDeclaration") declareLexical(head, inner);
        this.children(node, inner);
        return;
      }
      case "SwitchStatement": {
        this.visit(node["discriminant"] as Node, scope);
        const inner = new Scope(scope, false);
        const cases = node["cases"] as Node[];
        for (const c of cases) for (const s of c["consequent"] as Node[]) declareLexical(s, inner);
        for (const c of cases) this.children(c, inner);
        return;
      }
      case "CatchClause": {
        const inner = new Scope(scope, false);
        const param = node["param"] as Node | null;
        if (param) {
          declarePattern(param, inner);
          this.patternExpressions(param, inner);
        }
        this.visit(node["body"] as Node, inner);
        return;
      }
      case "VariableDeclarator": {
        this.patternExpressions(node["id"] as Node, scope);
        if (node["init"]) this.visit(node["init"] as Node, scope);
        return;
      }
      default:
        this.children(node, scope);
    }
  }

  private children(node: Node, scope: Scope): void {
    for (const key of Object.keys(node)) {
      if (key === "type" || key === "start" || key === "end" || key === "loc" || key === "range") continue;
      if (skipsKey(node, key)) continue;
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof c === "object" && typeof (c as Node).type === "string") this.visit(c as Node, scope);
      } else if (v && typeof v === "object" && typeof (v as Node).type === "string") {
        this.visit(v as Node, scope);
      }
    }
  }
}

function declarePattern(p: Node, scope: Scope): void {
  switch (p.type) {
    case "Identifier":
      scope.names.add(p["name"] as string);
      break;
    case "AssignmentPattern":
      declarePattern(p["left"] as Node, scope);
      break;
    case "RestElement":
      declarePattern(p["argument"] as Node, scope);
      break;
    case "ObjectPattern":
      for (const prop of p["properties"] as Node[]) declarePattern((prop.type === "RestElement" ? prop : prop["value"]) as Node, scope);
      break;
    case "ArrayPattern":
      for (const el of p["elements"] as (Node | null)[]) if (el) declarePattern(el, scope);
      break;
  }
}

/** let / const / class / function declared directly in a block. */
function declareLexical(stmt: Node, scope: Scope): void {
  if (stmt.type === "VariableDeclaration" && stmt["kind"] !== "var") {
    for (const d of stmt["declarations"] as Node[]) declarePattern(d["id"] as Node, scope);
  } else if ((stmt.type === "ClassDeclaration" || stmt.type === "FunctionDeclaration") && stmt["id"]) {
    scope.names.add((stmt["id"] as Node)["name"] as string);
    // Sloppy-mode functions in blocks are also visible in the function scope.
    if (stmt.type === "FunctionDeclaration") scope.functionScope().names.add((stmt["id"] as Node)["name"] as string);
  }
}

/** `var` declarations anywhere in a function body (not in nested functions) belong to the function. */
function hoistVars(node: Node, fnScope: Scope): void {
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === "VariableDeclaration" && n["kind"] === "var") {
      for (const d of n["declarations"] as Node[]) declarePattern(d["id"] as Node, fnScope);
    }
    if (n !== node && (n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression")) {
      if (n.type === "FunctionDeclaration" && n["id"]) fnScope.names.add((n["id"] as Node)["name"] as string);
      continue;
    }
    for (const key of Object.keys(n)) {
      const v = n[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof c === "object" && typeof (c as Node).type === "string") stack.push(c as Node);
      } else if (v && typeof v === "object" && typeof (v as Node).type === "string") {
        stack.push(v as Node);
      }
    }
  }
}
