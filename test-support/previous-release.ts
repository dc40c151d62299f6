import { Block, TerraformJson } from "../tools/synthesized";

/**
 * A synthesized configuration as the previous release wrote it: the Region read from
 * `data.aws_region`'s `name` rather than from Amazon Personalize's `data.aws_service`'s `region`
 * (the only difference). Each such aws_service becomes an aws_region of the same name and provider.
 */
export function asPreviousRelease(json: TerraformJson): TerraformJson {
  const text = JSON.stringify(json).replace(/\bdata\.aws_service\.([\w-]+)\.region\b/g, "data.aws_region.$1.name");
  const previous = JSON.parse(text) as { data?: Record<string, Record<string, Block>> };
  const services = previous.data?.aws_service ?? {};
  const regions: Record<string, Block> = {};
  for (const [name, { service_id: service, ...rest }] of Object.entries(services)) {
    if (service !== "personalize") throw new Error(`data.aws_service.${name} is not Amazon Personalize's.`);
    regions[name] = rest;
  }
  const { aws_service: _services, ...data } = previous.data ?? {};
  return { ...previous, data: { ...data, aws_region: regions } };
}
