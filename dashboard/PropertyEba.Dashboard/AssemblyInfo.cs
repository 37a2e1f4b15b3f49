using System.Resources;

// The neutral resources are Chinese: zh-CN is the product's default language.
[assembly: NeutralResourcesLanguage("zh-CN")]
