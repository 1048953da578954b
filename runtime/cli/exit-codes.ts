/** The exit codes every command documents in its --help. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  error (the message says what and how to fix it)
  2  usage error (unknown command or option)
  3  plan --fail-on-breaking found breaking changes`;
