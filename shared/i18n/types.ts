/** The shape of a dictionary: the Indonesian one's keys, every leaf a string. */
export type Dictionary<T> = { readonly [K in keyof T]: T[K] extends string ? string : Dictionary<T[K]> };
