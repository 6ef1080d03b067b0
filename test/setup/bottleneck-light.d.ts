// bottleneck/light.js (the build @octokit/plugin-retry and plugin-throttling import) has the
// same API as the package's main entry, whose types it ships.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
