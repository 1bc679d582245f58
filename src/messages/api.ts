// Messages for library callers who pass values of the wrong kind (the API throws only OhmnetError for bad arguments).

export const API_MESSAGES = {
  badArgument: (fn: string, needs: string) => `${fn} needs ${needs}`,
} as const;
