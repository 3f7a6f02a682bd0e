process.env.WD_TEST_DB = 'pglite';
