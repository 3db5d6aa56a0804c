// Keeps a pipeline layer library non-empty while its sources are being written.
