/**
 * The WeCom channel: the AI-bot long connection ({@code wecom}, aliases {@code wechat-work} and
 * {@code qywx}) and the outbound-only group robot webhook ({@code wecom-webhook}).
 */
package dev.switchboard.channel.wecom;
