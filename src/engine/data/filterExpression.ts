/**
 * `data.filter` is untrusted text from a reclens.json. It is never pasted into SQL: DuckDB's own parser turns
 * it into a syntax tree (json_serialize_sql, which parses without running anything), every node is checked
 * against an allow-list (columns of the data, constants, comparison / boolean / arithmetic operators, IN, BETWEEN,
 * IS NULL, LIKE, CASE, CAST to plain types, a few pure scalar functions), and the SQL that runs is written
 * here from that tree. Anything else (several statements, subqueries, table functions, file access, COPY,
 * ATTACH, SET, parameters, lambdas, unknown functions) is a positioned problem, not an error from DuckDB.
 */
import type { Duck } from './duck';
import { sqlIdent, sqlString } from './duck';

export type FilterResult =
  | { ok: true; sql: string }
  /** `offset`: 0-based character in the filter text the problem starts at, when DuckDB says. */
  | { ok: false; message: string; offset?: number };

/** Longer filters are refused before parsing (a WHERE condition is a line, not a document). */
export const MAX_FILTER_LENGTH = 4000;
const MAX_DEPTH = 64;
const TABLE = 'reclens_filter_rows';
const PREFIX = `SELECT * FROM ${TABLE} WHERE `;

const COMPARISONS: Record<string, string> = {
  COMPARE_EQUAL: '=',
  COMPARE_NOTEQUAL: '<>',
  COMPARE_LESSTHAN: '<',
  COMPARE_GREATERTHAN: '>',
  COMPARE_LESSTHANOREQUALTO: '<=',
  COMPARE_GREATERTHANOREQUALTO: '>=',
  COMPARE_DISTINCT_FROM: 'IS DISTINCT FROM',
  COMPARE_NOT_DISTINCT_FROM: 'IS NOT DISTINCT FROM',
};
/** Operators DuckDB's parser writes as functions. */
const INFIX: Record<string, string> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '//': '//',
  '%': '%',
  '~~': 'LIKE',
  '!~~': 'NOT LIKE',
  '~~*': 'ILIKE',
  '!~~*': 'NOT ILIKE',
  '||': '||',
};
/** Pure scalar functions of values (no state, no I/O, no randomness). */
const FUNCTIONS = new Set([
  'abs',
  'round',
  'floor',
  'ceil',
  'ceiling',
  'sign',
  'sqrt',
  'ln',
  'log',
  'log10',
  'log2',
  'exp',
  'pow',
  'power',
  'greatest',
  'least',
  'lower',
  'upper',
  'length',
  'strlen',
  'trim',
  'ltrim',
  'rtrim',
  'substring',
  'substr',
  'starts_with',
  'ends_with',
  'contains',
  'prefix',
  'suffix',
  'concat',
  'replace',
  'regexp_matches',
  'regexp_full_match',
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'dayofweek',
  'dayofyear',
  'week',
  'epoch',
  'date_part',
  'date_trunc',
  'len',
  'isnan',
  'isinf',
  'isfinite',
  'nullif',
  'ifnull',
]);
const CAST_TYPES = new Set([
  'BOOLEAN',
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'FLOAT',
  'DOUBLE',
  'VARCHAR',
  'DATE',
  'TIMESTAMP',
  'TIMESTAMP WITH TIME ZONE',
  'TIME',
  'INTERVAL',
]);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- DuckDB's serialized parse tree: walked and checked field by field below
type Node = Record<string, any>;

class Rejected extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

const EXAMPLE = `for example: rating >= 4 AND genre IN ('Drama', 'Comedy')`;

/**
 * Checks `text` as one boolean condition over `columns` and returns the SQL to put after WHERE, written from the
 * parsed tree. `duck` only parses (no file is read); column names match as DuckDB matches them (case-insensitive).
 */
export async function compileFilter(duck: Duck, text: string, columns: readonly string[]): Promise<FilterResult> {
  if (typeof text !== 'string' || text.trim() === '')
    return { ok: false, message: `data.filter is empty. Remove it, or give one condition, ${EXAMPLE}.` };
  if (text.length > MAX_FILTER_LENGTH)
    return {
      ok: false,
      message: `data.filter is ${text.length.toLocaleString('en-US')} characters long; the limit is ${MAX_FILTER_LENGTH.toLocaleString('en-US')}. Give one short condition, ${EXAMPLE}.`,
    };
  let parsed: Node;
  try {
    const r = await duck.conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS j', [PREFIX + text]);
    parsed = JSON.parse(String(r.getRowObjects()[0].j));
  } catch {
    return { ok: false, message: `data.filter cannot be parsed as SQL. Give one condition, ${EXAMPLE}.` };
  }
  if (parsed.error) {
    const pos = Number(parsed.position);
    const offset = Number.isFinite(pos) && pos >= PREFIX.length ? pos - PREFIX.length : undefined;
    const reason = /only select statements/i.test(String(parsed.error_message))
      ? 'it holds more than one statement, or a statement that is not a condition'
      : `DuckDB's parser says: ${String(parsed.error_message).split('\n')[0].slice(0, 200)}`;
    return {
      ok: false,
      offset,
      message: `data.filter is not one SQL condition (${reason}). Give one condition, ${EXAMPLE}.`,
    };
  }
  try {
    const where = checkStatement(parsed);
    return { ok: true, sql: new Writer(columns).expr(where, 0) };
  } catch (e) {
    if (!(e instanceof Rejected)) throw e;
    return { ok: false, message: e.message, offset: e.offset };
  }
}

/** The parse must be exactly our `SELECT * FROM t WHERE <condition>`: anything around the condition is an injection. */
function checkStatement(parsed: Node): Node {
  const statements = parsed.statements as Node[] | undefined;
  const node = statements?.length === 1 ? statements[0].node : undefined;
  const plain =
    node &&
    node.type === 'SELECT_NODE' &&
    (node.modifiers ?? []).length === 0 &&
    (node.cte_map?.map ?? []).length === 0 &&
    node.select_list?.length === 1 &&
    node.select_list[0].class === 'STAR' &&
    !node.select_list[0].columns &&
    node.from_table?.type === 'BASE_TABLE' &&
    node.from_table.table_name === TABLE &&
    !node.from_table.sample &&
    (node.group_expressions ?? []).length === 0 &&
    (node.group_sets ?? []).length === 0 &&
    !node.having &&
    !node.sample &&
    !node.qualify &&
    node.where_clause;
  if (!plain)
    throw new Rejected(
      `data.filter must be one condition on a row, not SQL around it (no ";", ")", GROUP BY, UNION, ORDER BY, LIMIT). Give one condition, ${EXAMPLE}.`,
    );
  return node.where_clause as Node;
}

function offsetOf(n: Node): number | undefined {
  const at = Number(n.query_location);
  return Number.isFinite(at) && at >= PREFIX.length && at < 2 ** 32 ? at - PREFIX.length : undefined;
}

class Writer {
  private readonly exact: Set<string>;
  private readonly folded = new Map<string, string | null>();

  constructor(private readonly columns: readonly string[]) {
    this.exact = new Set(columns);
    for (const c of columns) {
      const k = c.toLowerCase();
      this.folded.set(k, this.folded.has(k) ? null : c);
    }
  }

  expr(n: Node, depth: number): string {
    if (depth > MAX_DEPTH)
      throw new Rejected(`data.filter nests deeper than ${MAX_DEPTH} levels. Simplify the condition.`, offsetOf(n));
    const sub = (c: Node) => this.expr(c, depth + 1);
    const kids = (): Node[] => (Array.isArray(n.children) ? n.children : []);
    switch (n.class) {
      case 'COLUMN_REF':
        return this.column(n);
      case 'CONSTANT':
        return constant(n);
      case 'COMPARISON': {
        const op = COMPARISONS[n.type];
        if (!op) break;
        return `(${sub(n.left)} ${op} ${sub(n.right)})`;
      }
      case 'CONJUNCTION': {
        const op = n.type === 'CONJUNCTION_AND' ? ' AND ' : n.type === 'CONJUNCTION_OR' ? ' OR ' : undefined;
        if (!op || kids().length < 2) break;
        return `(${kids().map(sub).join(op)})`;
      }
      case 'OPERATOR': {
        const c = kids();
        switch (n.type) {
          case 'OPERATOR_NOT':
            if (c.length === 1) return `(NOT ${sub(c[0])})`;
            break;
          case 'OPERATOR_IS_NULL':
            if (c.length === 1) return `(${sub(c[0])} IS NULL)`;
            break;
          case 'OPERATOR_IS_NOT_NULL':
            if (c.length === 1) return `(${sub(c[0])} IS NOT NULL)`;
            break;
          case 'COMPARE_IN':
          case 'COMPARE_NOT_IN':
            if (c.length >= 2)
              return `(${sub(c[0])} ${n.type === 'COMPARE_IN' ? 'IN' : 'NOT IN'} (${c.slice(1).map(sub).join(', ')}))`;
            break;
          case 'OPERATOR_COALESCE':
            if (c.length >= 1) return `coalesce(${c.map(sub).join(', ')})`;
            break;
        }
        break;
      }
      case 'BETWEEN':
        return `(${sub(n.input)} BETWEEN ${sub(n.lower)} AND ${sub(n.upper)})`;
      case 'CAST': {
        const type = String(n.cast_type?.id ?? '');
        if (!CAST_TYPES.has(type) || n.cast_type?.type_info)
          throw new Rejected(
            `data.filter casts to ${type || 'an unsupported type'}; a filter may cast only to ${[...CAST_TYPES].join(', ')}.`,
            offsetOf(n),
          );
        return `${n.try_cast ? 'TRY_CAST' : 'CAST'}(${sub(n.child)} AS ${type})`;
      }
      case 'CASE': {
        const checks = Array.isArray(n.case_checks) ? (n.case_checks as Node[]) : [];
        if (checks.length === 0) break;
        return `(CASE ${checks.map((k) => `WHEN ${sub(k.when_expr)} THEN ${sub(k.then_expr)}`).join(' ')}${n.else_expr ? ` ELSE ${sub(n.else_expr)}` : ''} END)`;
      }
      case 'FUNCTION': {
        const name = String(n.function_name ?? '');
        const plainCall =
          !n.schema &&
          !n.catalog &&
          !n.distinct &&
          !n.filter &&
          !n.export_state &&
          (n.order_bys?.orders ?? []).length === 0;
        if (!plainCall) break;
        const c = kids();
        if (n.is_operator && INFIX[name]) {
          if (c.length === 2) return `(${sub(c[0])} ${INFIX[name]} ${sub(c[1])})`;
          if (c.length === 1 && (name === '-' || name === '+')) return `(${name}${sub(c[0])})`;
          break;
        }
        if (!n.is_operator && FUNCTIONS.has(name.toLowerCase()))
          return `${name.toLowerCase()}(${c.map(sub).join(', ')})`;
        throw new Rejected(
          `data.filter calls "${name}", which a filter may not use. Allowed functions: ${[...FUNCTIONS].join(', ')}.`,
          offsetOf(n),
        );
      }
      case 'SUBQUERY':
        throw new Rejected(
          "data.filter holds a subquery (SELECT, EXISTS, IN (SELECT ...), ANY); a filter may only test the row's own columns.",
          offsetOf(n),
        );
    }
    throw new Rejected(
      `data.filter uses ${describeNode(n)}, which a filter may not use. Give one condition on the data's columns, ${EXAMPLE}.`,
      offsetOf(n),
    );
  }

  private column(n: Node): string {
    const parts = n.column_names as string[] | undefined;
    if (!parts || parts.length !== 1)
      throw new Rejected(
        `data.filter names "${(parts ?? []).join('.')}"; name a column of the data by itself (no table or schema prefix).`,
        offsetOf(n),
      );
    const name = parts[0];
    const actual = this.exact.has(name) ? name : this.folded.get(name.toLowerCase());
    if (!actual) {
      const known = this.columns
        .slice(0, 20)
        .map((c) => `"${c}"`)
        .join(', ');
      throw new Rejected(
        `data.filter reads "${name}", which is not a column of the data (columns: ${known}${this.columns.length > 20 ? ', ...' : ''}). Strings go in single quotes: 'text'.`,
        offsetOf(n),
      );
    }
    return sqlIdent(actual);
  }
}

function describeNode(n: Node): string {
  switch (n.class) {
    case 'STAR':
      return '"*" or COLUMNS(...)';
    case 'PARAMETER':
      return 'a parameter ($1 or ?)';
    case 'LAMBDA':
      return 'a lambda';
    case 'WINDOW':
      return 'a window function';
    case 'COLLATE':
      return 'COLLATE';
    default:
      return `${String(n.class ?? 'an expression').toLowerCase()} ${String(n.type ?? '').toLowerCase()}`.trim();
  }
}

function constant(n: Node): string {
  const v = n.value as Node | undefined;
  if (!v || v.is_null) return 'NULL';
  const type = String(v.type?.id ?? '');
  const value = v.value;
  switch (type) {
    case 'BOOLEAN':
      return value ? 'TRUE' : 'FALSE';
    case 'VARCHAR':
      return sqlString(String(value));
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      break;
    case 'DOUBLE':
    case 'FLOAT':
      if (typeof value === 'number' && Number.isFinite(value)) return `CAST(${String(value)} AS DOUBLE)`;
      break;
    case 'DECIMAL': {
      const scale = Number(v.type?.type_info?.scale);
      if (
        typeof value === 'number' &&
        Number.isSafeInteger(value) &&
        Number.isInteger(scale) &&
        scale >= 0 &&
        scale <= 38
      )
        return decimalText(value, scale);
      break;
    }
  }
  throw new Rejected(
    `data.filter holds a ${type.toLowerCase() || 'constant'} constant RecLens cannot pass on exactly (numbers must fit in 53 bits).`,
    offsetOf(n),
  );
}

function decimalText(unscaled: number, scale: number): string {
  const sign = unscaled < 0 ? '-' : '';
  const digits = String(Math.abs(unscaled)).padStart(scale + 1, '0');
  return scale === 0
    ? `${sign}${digits}`
    : `${sign}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}
