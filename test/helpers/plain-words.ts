/**
 * Words a registrar or an HR person should not meet in a headline or a reason: JSON paths, JavaScript internals,
 * encodings and error codes (UPPER_SNAKE). The technical detail belongs one step away (--details, the checks table).
 */
export const DEVELOPER_WORDS = /\$\.|\$\[|__proto__|JavaScript|JSON\.parse|base64url|\b[A-Z]+(?:_[A-Z]+)+\b/;
