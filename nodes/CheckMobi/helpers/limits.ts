/** The most requests the node keeps in flight at once, whatever the Concurrency option says. */
export const MAX_CONCURRENCY_OPTION = 50;
