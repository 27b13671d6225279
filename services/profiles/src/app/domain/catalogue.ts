/**
 * Profiles' own bookkeeping lists. The closed lists of input fields (genders, languages, products, …) are in
 * libs/domain-rules with the portrait's field rules.
 */
/** How a portrait came to exist. */
export const PORTRAIT_ORIGINS = ['registration', 'staff', 'import'] as const;
export type PortraitOrigin = (typeof PORTRAIT_ORIGINS)[number];

export const TAG_SOURCES = ['manual', 'rule'] as const;
export type TagSource = (typeof TAG_SOURCES)[number];
