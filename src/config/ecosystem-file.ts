/** PM2's rule: *.json (and .json5), *.yml/yaml and *.config.{js,cjs,mjs} are ecosystem files; anything else is a script. */
export function isEcosystemFile(target: string): boolean {
  return /\.(json5?|ya?ml)$/i.test(target) || /\.config\.(c|m)?js$/i.test(target);
}
