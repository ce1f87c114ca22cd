// Runs once after every suite: stops the containers test/global-setup.js started, if it started any
// (testcontainers' reaper removes them anyway should this process die first).
module.exports = async () => {
  await globalThis.__testInfra?.stop();
};
