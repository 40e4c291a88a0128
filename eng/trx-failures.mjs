// Prints each failed test of the .trx files given as arguments with its message and the top of its stack trace, so
// that a CI log says why a test failed, not only which one (eng/test.sh runs this after the tests).
import { readFileSync } from "node:fs";

const decode = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#xD;/g, "").replace(/&#xA;/g, "\n").replace(/&amp;/g, "&");
for (const file of process.argv.slice(2)) {
  const trx = readFileSync(file, "utf8");
  for (const [, attributes, body] of trx.matchAll(/<UnitTestResult ([^>]*outcome="Failed"[^>]*)>([\s\S]*?)<\/UnitTestResult>/g)) {
    const name = /testName="([^"]*)"/.exec(attributes)?.[1] ?? "?";
    const message = /<Message>([\s\S]*?)<\/Message>/.exec(body)?.[1] ?? "";
    const stack = /<StackTrace>([\s\S]*?)<\/StackTrace>/.exec(body)?.[1] ?? "";
    console.log(`FAILED ${decode(name)}`);
    for (const line of decode(message).split("\n").slice(0, 20)) console.log(`  ${line}`);
    for (const line of decode(stack).split("\n").slice(0, 12)) console.log(`    ${line}`);
  }
}
