import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from "graphql";

/** The fields a selection set asks for, through its inline fragments and fragment spreads. */
function fieldsOf(set: SelectionSetNode | undefined, info: GraphQLResolveInfo): FieldNode[] {
  return (set?.selections ?? []).flatMap((selection) => {
    if (selection.kind === "Field") return [selection];
    if (selection.kind === "InlineFragment") return fieldsOf(selection.selectionSet, info);
    return fieldsOf(info.fragments[selection.name.value]?.selectionSet, info);
  });
}

/** Whether the resolving field's selection reaches `path` (`["edges", "node", "artist"]`), so a resolver can fetch it along. */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let level: FieldNode[] = [...info.fieldNodes];
  for (const name of path) {
    level = level.flatMap((node) => fieldsOf(node.selectionSet, info)).filter((field) => field.name.value === name);
    if (level.length === 0) return false;
  }
  return true;
}
