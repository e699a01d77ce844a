module.exports = { uri: 'http://localhost/public/plugins/mlmon-drift-panel/module.js' };
