import * as path from 'node:path';
import * as ts from 'typescript';

/** A JSON Schema (draft 2020-12 subset) as plain data. */
export type JsonSchema = Record<string, unknown>;

/** What the generator reads from the catalogue's TypeScript: per event type its doc comment and data schema. */
export interface GeneratedCatalogue {
  $defs: Record<string, JsonSchema>;
  events: Record<string, { description: string; data: JsonSchema }>;
}

/** The interfaces whose keys are the event types of the log (the catalogue), in libs/domain. */
export const CATALOGUE_SOURCES: Array<{ file: string; iface: string }> = [
  { file: 'libs/domain/src/events.ts', iface: 'CoreEventData' },
  { file: 'libs/domain/src/agent/events.ts', iface: 'AgentEventData' },
];

/**
 * Turns the catalogue's TypeScript types into JSON Schemas with the compiler's
 * own type checker, so the schemas are the types (Partial<>, Pick<>, unions and
 * Records resolved as tsc resolves them). Named interfaces and aliases become
 * `$defs` entries; objects admit no property the type does not declare.
 */
export function generateCatalogue(root: string): GeneratedCatalogue {
  const files = CATALOGUE_SOURCES.map((s) => path.join(root, s.file));
  const program = ts.createProgram(files, { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const defs: Record<string, JsonSchema> = {};
  const inProgress = new Set<string>();

  const nameOf = (t: ts.Type): string | null => {
    if (t.aliasSymbol && !t.aliasTypeArguments?.length) return t.aliasSymbol.getName();
    const s = t.getSymbol();
    if (s && (t as ts.ObjectType).objectFlags & ts.ObjectFlags.Interface && !(t as ts.InterfaceType).typeParameters?.length) return s.getName();
    return null;
  };

  const describe = (sym: ts.Symbol): string => ts.displayPartsToString(sym.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();

  const literalOf = (t: ts.Type): string | number | boolean | null | undefined => {
    if (t.isStringLiteral() || t.isNumberLiteral()) return t.value;
    if (t.flags & ts.TypeFlags.BooleanLiteral) return checker.typeToString(t) === 'true';
    if (t.flags & ts.TypeFlags.Null) return null;
    return undefined;
  };

  const union = (members: ts.Type[], where: string): JsonSchema => {
    const parts = members.filter((m) => !(m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    const lits = parts.map(literalOf);
    if (lits.every((l) => l !== undefined)) {
      const vals = lits as Array<string | number | boolean | null>;
      if (vals.includes(true) && vals.includes(false)) {
        const rest = vals.filter((v) => typeof v !== 'boolean');
        return rest.length ? { anyOf: [{ type: 'boolean' }, { enum: rest }] } : { type: 'boolean' };
      }
      return vals.length === 1 ? { const: vals[0] } : { enum: vals };
    }
    // boolean | X: tsc spreads boolean into true | false
    const schemas: JsonSchema[] = [];
    const trues = parts.filter((p) => p.flags & ts.TypeFlags.BooleanLiteral);
    if (trues.length === 2) schemas.push({ type: 'boolean' });
    for (const p of parts) if (!(p.flags & ts.TypeFlags.BooleanLiteral) || trues.length !== 2) schemas.push(toSchema(p, where));
    if (schemas.length === 1) return schemas[0];
    const simple = schemas.every((s) => Object.keys(s).length === 1 && typeof s.type === 'string');
    return simple ? { type: schemas.map((s) => s.type) } : { anyOf: schemas };
  };

  const objectSchema = (t: ts.Type, where: string): JsonSchema => {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const p of checker.getPropertiesOfType(t)) {
      const pt = checker.getTypeOfSymbol(p);
      if (pt.getCallSignatures().length) throw new Error(`${where}.${p.getName()}: functions have no JSON Schema`);
      const s = toSchema(pt, `${where}.${p.getName()}`);
      const doc = describe(p);
      properties[p.getName()] = doc ? { description: doc, ...s } : s;
      if (!(p.flags & ts.SymbolFlags.Optional)) required.push(p.getName());
    }
    const out: JsonSchema = { type: 'object', properties };
    if (required.length) out.required = required;
    const index = checker.getIndexInfosOfType(t).find((i) => i.keyType.flags & ts.TypeFlags.String);
    out.additionalProperties = index ? toSchema(index.type, `${where}[]`) : false;
    if (!Object.keys(properties).length) delete out.properties;
    return out;
  };

  function toSchema(t: ts.Type, where: string): JsonSchema {
    const f = t.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (f & ts.TypeFlags.Union) return union((t as ts.UnionType).types, where);
    if (f & ts.TypeFlags.String) return { type: 'string' };
    if (f & ts.TypeFlags.Number) return { type: 'number' };
    if (f & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (f & ts.TypeFlags.Null) return { type: 'null' };
    if (f & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral | ts.TypeFlags.BooleanLiteral)) return { const: literalOf(t) };
    if (checker.isTupleType(t)) {
      const items = checker.getTypeArguments(t as ts.TypeReference).map((a, i) => toSchema(a, `${where}[${i}]`));
      return { type: 'array', prefixItems: items, items: false, minItems: items.length };
    }
    if (checker.isArrayType(t)) return { type: 'array', items: toSchema(checker.getTypeArguments(t as ts.TypeReference)[0], `${where}[]`) };
    if (f & ts.TypeFlags.Object || f & ts.TypeFlags.Intersection) {
      const name = nameOf(t);
      if (!name) return objectSchema(t, where);
      if (!defs[name] && !inProgress.has(name)) {
        inProgress.add(name);
        const decl = t.aliasSymbol?.declarations?.[0] ?? t.getSymbol()?.declarations?.[0];
        const doc = t.aliasSymbol ? describe(t.aliasSymbol) : t.getSymbol() ? describe(t.getSymbol()!) : '';
        const body = t.aliasSymbol && decl && ts.isTypeAliasDeclaration(decl) && !(f & ts.TypeFlags.Object) ? toSchema(t, name) : objectSchema(t, name);
        defs[name] = doc ? { description: doc, ...body } : body;
        inProgress.delete(name);
      }
      return { $ref: `#/$defs/${name}` };
    }
    throw new Error(`${where}: no JSON Schema for type ${checker.typeToString(t)}`);
  }

  const events: GeneratedCatalogue['events'] = {};
  for (const src of CATALOGUE_SOURCES) {
    const sf = program.getSourceFile(path.join(root, src.file));
    if (!sf) throw new Error(`${src.file} not found under ${root}`);
    const decl = sf.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === src.iface);
    if (!decl) throw new Error(`${src.file} declares no interface ${src.iface}`);
    const type = checker.getTypeAtLocation(decl.name);
    for (const p of checker.getPropertiesOfType(type)) {
      const dt = checker.getTypeOfSymbol(p);
      events[p.getName()] = { description: describe(p), data: toSchema(dt, p.getName()) };
    }
  }
  const sortedDefs = Object.fromEntries(Object.keys(defs).sort().map((k) => [k, defs[k]]));
  return { $defs: sortedDefs, events };
}

/** The text of libs/domain/src/event-catalogue/schemas.json. */
export const renderSchemasFile = (root: string): string => `${JSON.stringify(generateCatalogue(root), null, 2)}\n`;
