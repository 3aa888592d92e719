import { getArgumentValues, GraphQLError, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";

/** A problem with one argument value, named by its path (`input.customNotes`, `ids[2]`). */
export type ArgumentProblem = { argument: string; problem: string };

/** The first string anywhere in `value` that breaks the rule every string argument obeys. */
export function firstBadString(value: unknown, path: string): ArgumentProblem | null {
  if (typeof value === "string") {
    // PostgreSQL cannot store NUL in text; no person types one.
    return value.includes("\u0000") ? { argument: path, problem: "must not contain the NUL character" } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = firstBadString(item, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const found = firstBadString(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Checks the rules that hold for every argument of every field, whatever the field, once per
 * operation and before anything runs: so a new field or mutation cannot forget them.
 */
export function checkArguments(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): void {
  const typeInfo = new TypeInfo(schema);
  let problem: ArgumentProblem | null = null;
  const fragments = document.definitions.filter((d) => d.kind === "FragmentDefinition");
  visit(
    { ...document, definitions: [operation, ...fragments] },
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (problem || !field || !node.arguments?.length) return;
        const values = getArgumentValues(field, node, variables);
        for (const [name, value] of Object.entries(values)) {
          problem = firstBadString(value, name);
          if (problem) return;
        }
      },
    }),
  );
  if (problem) {
    const { argument, problem: what } = problem as ArgumentProblem;
    throw new GraphQLError(`${argument}: ${what}`, { extensions: { code: "BAD_USER_INPUT", argument, http: { status: 400 } } });
  }
}
