-- A SaaS application schema as pg_dump writes it (types, serial columns, comments, late keys).
SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);

CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;

CREATE TYPE public.plan_tier AS ENUM ('free', 'team', 'business');

CREATE FUNCTION public.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();  -- a ';' in a dollar-quoted body must not end the statement
    RETURN NEW;
END;
$$;

CREATE TABLE public.accounts (
    id           SERIAL PRIMARY KEY,
    public_id    UUID NOT NULL DEFAULT uuid_generate_v4() UNIQUE,
    name         TEXT NOT NULL,
    plan         public.plan_tier NOT NULL DEFAULT 'free',
    status       VARCHAR(16) NOT NULL DEFAULT 'active'
                 CHECK (status IN ('active', 'suspended', 'closed')),
    seats        INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 500),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    deleted_at   TIMESTAMPTZ
);

CREATE TABLE public.users (
    id            BIGSERIAL,
    account_id    INTEGER NOT NULL,
    email         CHARACTER VARYING(320) NOT NULL,
    full_name     TEXT,
    role          TEXT NOT NULL,
    phone         VARCHAR(32),
    last_login_ip INET,
    settings      JSONB DEFAULT '{}'::jsonb,
    is_admin      BOOLEAN DEFAULT false NOT NULL,
    updated_at    TIMESTAMP WITHOUT TIME ZONE DEFAULT now(),
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_role_check CHECK (((role)::text = ANY ((ARRAY['owner'::character varying, 'member'::character varying, 'guest'::character varying])::text[])))
);

CREATE TABLE public.invoices (
    id            integer NOT NULL,
    account_id    integer NOT NULL,
    amount        numeric(12,2) NOT NULL,
    currency      char(3) NOT NULL DEFAULT 'USD',
    issued_on     date NOT NULL,
    paid_at       timestamp(3) without time zone,
    CONSTRAINT invoices_amount_check CHECK ((amount >= (0)::numeric))
);

CREATE SEQUENCE public.invoices_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.invoices_id_seq OWNED BY public.invoices.id;
ALTER TABLE ONLY public.invoices ALTER COLUMN id SET DEFAULT nextval('public.invoices_id_seq'::regclass);
ALTER TABLE ONLY public.invoices
    ADD CONSTRAINT invoices_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.invoices
    ADD CONSTRAINT invoices_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts(id);
ALTER TABLE public.users OWNER TO app;

COMMENT ON TABLE public.accounts IS 'Tenants: one row per paying organisation';
COMMENT ON COLUMN public.accounts.seats IS 'licensed seats';
COMMENT ON COLUMN public.users.email IS 'login; it''s unique per account';

CREATE INDEX users_account_idx ON public.users USING btree (account_id);
GRANT SELECT ON ALL TABLES IN SCHEMA public TO readonly;
