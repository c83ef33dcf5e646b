-- The helper schema: everything the emulator installs lives in it.
CREATE SCHEMA IF NOT EXISTS dwsim_rs;
