// ESLint for the site's own browser scripts (`make lint`). They are plain scripts loaded by <script src> under a strict
// Content-Security-Policy (no inline script, no eval), so the rules forbid what that policy would block at run time.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    ignores: ["node_modules/", "static_collected/", ".venv/", "var/", "test-artifacts/"],
  },
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    rules: {
      // What the strict CSP refuses: eval and its string-taking relatives, and javascript: URLs.
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-script-url": "error",
      // Markup from strings is how contributor text would turn into script: build nodes and set textContent.
      "no-restricted-properties": [
        "error",
        { object: "document", property: "write", message: "Build DOM nodes instead." },
        { property: "innerHTML", message: "Set textContent or build DOM nodes instead." },
        { property: "outerHTML", message: "Build DOM nodes instead." },
        { property: "insertAdjacentHTML", message: "Build DOM nodes instead." },
      ],
      eqeqeq: ["error", "always"],
    },
  },
];
