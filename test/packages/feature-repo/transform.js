// The transform of the scratch repository's on-demand view: plain JavaScript works as TypeScript does.
exports.scaledRate = (row) => ({ scaled_rate: row.conv_rate === null || row.factor === null ? null : row.conv_rate * row.factor });
