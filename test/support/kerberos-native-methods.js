/**
 * Runs before every test file (jest `setupFiles`). The `kerberos` package replaces the
 * native `step`, `wrap` and `unwrap` of its client and server classes with promise
 * wrappers when its module runs. Jest runs that module again for each test file, over the
 * one native binding a process loads, so in a worker's second Kerberos file the new
 * wrapper wraps the old one, which never calls back: every SPNEGO step hangs. The native
 * methods are kept on the binding the first time and put back before each file.
 */
let bindings;
try {
  bindings = require('kerberos/lib/util').loadBindings();
} catch {
  // Not built on this machine: the Kerberos tests say so themselves.
}
if (bindings) {
  const classes = { KerberosClient: ['step', 'wrap', 'unwrap'], KerberosServer: ['step'] };
  const native = (bindings.featurestackNativeMethods ??= Object.entries(classes).flatMap(([name, methods]) =>
    methods.map((method) => [bindings[name].prototype, method, bindings[name].prototype[method]]),
  ));
  for (const [prototype, method, fn] of native) prototype[method] = fn;
}
