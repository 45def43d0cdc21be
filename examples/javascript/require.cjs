// CommonJS: require() of this ESM-only package works on Node 20.19+, 22.12+ and 24.
const { defineCurrent } = require('current-attributes');

class Attributes {
  user;
  locale = 'en';
}
const Current = defineCurrent(Attributes);

Current.run(() => {
  Current.user = 'Ann';
  console.log(`${Current.user} reads in ${Current.locale}`);
});
console.log(`outside a scope: ${Current.user}`);
