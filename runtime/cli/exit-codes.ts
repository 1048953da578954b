/** The exit codes every command except `plan` documents in its --help (plan lists its own, with 3). */
export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  error (the message says what and how to fix it)
  2  usage error (unknown command or option)`;
