package org.heatwave.pipeline;
class Placeholder {}
