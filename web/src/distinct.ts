/**
 * The items whose text is not that of an earlier one: two checks failing for one reason (the schema's VC rules and
 * its Open Badges rules, say) read as one line, not the same sentence twice.
 */
export function distinctByText<T extends { readonly text: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (seen.has(item.text)) return false;
    seen.add(item.text);
    return true;
  });
}
