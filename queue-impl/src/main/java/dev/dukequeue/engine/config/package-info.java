/** The engine's settings, read once through MicroProfile Config (environment variables and system properties work). */
package dev.dukequeue.engine.config;
