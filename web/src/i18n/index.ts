import { en, type Catalogue, type MessageKey } from './en';
import { et } from './et';

/** The languages the page speaks; adding one is a catalogue file and a line here. */
export const CATALOGUES = { en, et } satisfies Record<string, Catalogue>;
export type Language = keyof typeof CATALOGUES;
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', et: 'Eesti' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && Object.hasOwn(CATALOGUES, value);
}

/** The language asked for by ?lang=, then the browser's preference, then English. */
export function initialLanguage(search: string, preferred: readonly string[]): Language {
  const asked = new URLSearchParams(search).get('lang');
  if (isLanguage(asked)) return asked;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** Fills `{name}` placeholders; a parameter that is missing stays visible as its name rather than vanishing. */
export function fill(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? params[name]! : whole));
}

/** A translator for one language. Keys that come from the library and that no catalogue knows use `fallback`. */
export function translator(language: Language) {
  const catalogue: Readonly<Record<string, string>> = CATALOGUES[language];
  function t(key: MessageKey, params?: Readonly<Record<string, string>>): string {
    return fill(catalogue[key] ?? en[key], params);
  }
  /** For keys the library chose (verdict, reason, element keys): the catalogue's words, else the library's English. */
  function tk(key: string, params: Readonly<Record<string, string>> | undefined, fallback: string): string {
    const template = Object.hasOwn(catalogue, key) ? catalogue[key] : undefined;
    return template === undefined ? fallback : fill(template, params);
  }
  /** Whether this catalogue has words for a key the library chose. */
  function has(key: string): boolean {
    return Object.hasOwn(catalogue, key);
  }
  return { language, t, tk, has };
}
export type Translator = ReturnType<typeof translator>;
export type { MessageKey };
