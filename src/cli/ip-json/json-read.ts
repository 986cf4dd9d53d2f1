// Reading back the JSON the printers made, for the text form of the same
// object (`ip route show` is printed from what `ip -j route show` prints):
// typed readers with a guard each, where a cast would only assume the shape.
import type { Json } from '../../rtnl/link-kinds/kind.js';

export type JsonObject = { [k: string]: Json | undefined };

export const isJsonObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An object member (an empty one when absent or not an object). */
export const jsonObject = (v: Json | undefined): JsonObject => (isJsonObject(v) ? v : {});

/** A list of objects (empty when absent). */
export const jsonObjects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);

/** A list of strings (empty when absent). */
export const jsonStrings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A number member, or undefined. */
export const jsonNumber = (v: Json | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
