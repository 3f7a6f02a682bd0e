process.env.WD_TEST_DB = 'postgres';
