import { IndexedValueType, type ResolvedAttribute } from './attributes';

/**
 * SQL expressions for attribute values. Custom attributes live in the `search_attributes` jsonb;
 * each read checks the stored JSON type first, so a value of another type reads as NULL instead
 * of failing the whole query with a cast error.
 */

/** An ISO 8601 date and time with a zone, written without backslashes so no quoting mode can change it. */
const ISO_DATETIME_SHAPE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$';

/** Cast for a bound value compared with an attribute of this type. */
export function sqlCast(attribute: ResolvedAttribute): string {
  if (attribute.source === 'column' && attribute.isStatus) return 'smallint';
  switch (attribute.type) {
    case IndexedValueType.INDEXED_VALUE_TYPE_INT:
    case IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE:
      return 'numeric';
    case IndexedValueType.INDEXED_VALUE_TYPE_BOOL:
      return 'boolean';
    case IndexedValueType.INDEXED_VALUE_TYPE_DATETIME:
      return 'timestamptz';
    default:
      return 'text';
  }
}

/**
 * The attribute's value as a typed SQL expression. `columnPrefix` is `alias.` or empty; `nameSql`
 * is SQL that yields the custom attribute's name (a placeholder, or a quoted literal in ORDER BY).
 */
export function valueExpression(attribute: ResolvedAttribute, columnPrefix: string, nameSql: string): string {
  if (attribute.source === 'column') return columnPrefix + attribute.column;
  const json = `${columnPrefix}search_attributes -> ${nameSql}`;
  const ifType = (jsonType: string, value: string) => `(CASE WHEN jsonb_typeof(${json}) = '${jsonType}' THEN ${value} END)`;
  switch (attribute.type) {
    case IndexedValueType.INDEXED_VALUE_TYPE_INT:
    case IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE:
      return ifType('number', `(${json})::numeric`);
    case IndexedValueType.INDEXED_VALUE_TYPE_BOOL:
      return ifType('boolean', `(${json})::boolean`);
    case IndexedValueType.INDEXED_VALUE_TYPE_DATETIME: {
      // The shape check keeps a malformed stored string from failing the cast (and the query).
      const text = `(${columnPrefix}search_attributes ->> ${nameSql})`;
      return `(CASE WHEN ${text} ~ '${ISO_DATETIME_SHAPE}' THEN ${text}::timestamptz END)`;
    }
    case IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST:
      return ifType('array', `(${json})`);
    default:
      return ifType('string', `(${columnPrefix}search_attributes ->> ${nameSql})`);
  }
}

/**
 * Text attributes match word by word, as Temporal documents: `=` holds when the value shares at
 * least one word with the query. Both sides are split into lower-cased words by PostgreSQL's full
 * text parser with the `simple` configuration (no stemming, no stop words), so punctuation and
 * hyphens separate words and the query text is never parsed as tsquery syntax.
 */
export function sharesAWord(textSql: string, querySql: string): string {
  const words = (sql: string) => `tsvector_to_array(to_tsvector('simple', ${sql}))`;
  return `${words(textSql)} && ${words(querySql)}`;
}

/** Escapes LIKE wildcards so that a STARTS_WITH prefix is matched literally; pairs with ESCAPE '!'. */
export function likePrefix(prefix: string): string {
  return prefix.replace(/[!%_]/g, (ch) => '!' + ch) + '%';
}
