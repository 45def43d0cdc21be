// Express 4 is installed under the alias `express4` so one suite can run
// against both majors; @types/express describes the API both share.
declare module 'express4' {
  import express from 'express';
  export default express;
}
